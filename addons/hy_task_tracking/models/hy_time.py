"""Dates and instants as the regulation counts them: in Vietnam's time zone, whatever the
user's own. Odoo stores datetimes as naive UTC; these turn them into the Office's days and
back. A plain module, imported by the models, the controllers and the reports alike."""

from datetime import datetime, time

import pytz

HY_TZ = "Asia/Ho_Chi_Minh"


def hy_today():
    """Today's date in Asia/Ho_Chi_Minh."""
    return datetime.now(pytz.timezone(HY_TZ)).date()


def local_naive(utc_naive, tz=None):
    """A naive UTC datetime as stored by Odoo, as a naive datetime in ``tz`` (default: the
    Office's)."""
    return pytz.utc.localize(utc_naive).astimezone(tz or pytz.timezone(HY_TZ)).replace(tzinfo=None)


def local_date(utc_naive, tz=None):
    """The date, in ``tz`` (default: the Office's), of a naive UTC datetime."""
    return local_naive(utc_naive, tz).date()


def utc_naive(day, at=time.min, tz=None):
    """The naive UTC instant of ``day`` at the time ``at`` in ``tz`` (default: the Office's)."""
    tz = tz or pytz.timezone(HY_TZ)
    return tz.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)


def day_start_utc(day):
    """The naive UTC instant at which ``day`` starts in Asia/Ho_Chi_Minh."""
    return utc_naive(day)
