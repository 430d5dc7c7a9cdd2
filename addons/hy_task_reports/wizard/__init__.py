from . import hy_report_publish_wizard
