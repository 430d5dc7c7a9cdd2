from . import test_install
from . import test_status_category
from . import test_workflow
from . import test_access
from . import test_cron
from . import test_access_matrix
from . import test_automation
