from mutualis.insights.models import ReportBatch

builders = {ReportBatch: lambda a: ReportBatch.objects.create(year=2026, status="succeeded")}
