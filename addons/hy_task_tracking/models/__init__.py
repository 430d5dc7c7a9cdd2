from . import hy_unit
from . import res_users
from . import hy_directive
from . import hy_task
from . import hy_task_extension
from . import hy_task_transfer
