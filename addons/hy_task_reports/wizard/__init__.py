from . import hy_report_publish_wizard
from . import hy_report_signing_wizard
