from odoo import api, models
from odoo.exceptions import UserError

# LIMIT and OFFSET are PostgreSQL bigints: beyond them, or negative, the query fails with a
# server error. The web client's own protocol lets any user send any number.
MAX_BIGINT = 2**63 - 1


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _hy_check_limit_offset(self, *values):
        for value in values:
            if value is None or value is False:
                continue
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            # In range first: NaN and infinity (JSON-RPC parses both) never reach int().
            if not number or not 0 <= value <= MAX_BIGINT or value != int(value):
                raise UserError(
                    self.env._(
                        "The number of records to return or to skip must be a whole number "
                        "between 0 and %s.",
                        MAX_BIGINT,
                    )
                )

    @api.model
    def _hy_check_domain_text(self, domain):
        """PostgreSQL refuses a NUL in a text parameter with a server error: say it instead."""
        for leaf in domain or ():
            if not isinstance(leaf, (list, tuple)) or len(leaf) != 3:
                continue
            values = leaf[2] if isinstance(leaf[2], (list, tuple)) else (leaf[2],)
            if any(isinstance(value, str) and "\x00" in value for value in values):
                raise UserError(
                    self.env._(
                        "The request contains a NUL character, which no text may hold. Please "
                        "remove it and try again."
                    )
                )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # search, search_read, search_count, name_search and web_search_read all come here.
        self._hy_check_limit_offset(offset, limit)
        self._hy_check_domain_text(domain)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        # read_group and web_read_group: the same bounds on groups.
        self._hy_check_limit_offset(offset, limit)
        return super()._read_group(
            domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
        )
