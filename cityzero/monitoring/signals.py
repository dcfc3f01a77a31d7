from cityzero.core.cache import invalidate_on_change
from cityzero.core.uploads import delete_files_with_rows
from cityzero.monitoring.models import (
    ActionReport,
    EvidenceFile,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)

invalidate_on_change(ActionReport, EvidenceFile, IndicatorSetup, IndicatorValue, MonitoringPlan)
delete_files_with_rows(EvidenceFile)
