from . import hy_task_workflow_wizard
from . import hy_directive_import
from . import hy_task_urge_wizard
from . import mail_compose_message
