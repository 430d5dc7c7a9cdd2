from . import test_install
from . import test_status_category
from . import test_workflow
from . import test_access
from . import test_cron
from . import test_access_matrix
from . import test_automation
from . import test_office_flow
