from . import hy_report_period_report
from . import hy_report_period_xlsx
