from . import hy_report_authority
from . import hy_report_figures
from . import hy_report_period
from . import hy_report_line
from . import hy_report_entry
from . import hy_report_unit_submission
from . import hy_task
