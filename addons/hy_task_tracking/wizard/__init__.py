from . import hy_task_workflow_wizard
