"""Route converters shared by the controllers of both modules."""

# A record id in a URL: digits only (werkzeug's int converter: "+22", " 22" or "1e1" match no
# route), parsed as the record is then looked up, and never beyond PostgreSQL's integer, so
# that a huge number answers 404 like any unknown id instead of failing in the database.
RECORD_ID = "int(max=2147483647)"
