from mutualis.imports.models import ImportJob
from mutualis.imports.tests.factories import ImportJobFactory

builders = {ImportJob: lambda a: ImportJobFactory()}
