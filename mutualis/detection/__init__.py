"""Pure detection over sensor series (no Django, nothing of the project outside this package).

Columnar: every rule reads a matrix of many meters × hours at once (NumPy) and returns
:class:`~mutualis.detection.alarms.Alarms` (meter, hour, rule, excess) as columns.

- :mod:`~mutualis.detection.series`: the hourly block (:class:`Hourly`), from meter registers;
- :mod:`~mutualis.detection.leaks`: water leaks (continuous flow, night flow, daily jump);
- :mod:`~mutualis.detection.baseline`: LeakDB's plain minimum night flow, the baseline;
- :mod:`~mutualis.detection.network`: network balance (district meter vs meters behind it);
- :mod:`~mutualis.detection.presence`: silence of a sensor, inactivity of a monitored home;
- :mod:`~mutualis.detection.heating`: heating against degree-days;
- :mod:`~mutualis.detection.synthetic` and :mod:`~mutualis.detection.scoring`: generated
  series with known leaks, and the scores of a detector on them.
"""

from mutualis.detection.alarms import RULES, Alarms, episodes
from mutualis.detection.leaks import LeakParams, detect_leaks
from mutualis.detection.series import Hourly, from_index

__all__ = ["RULES", "Alarms", "Hourly", "LeakParams", "detect_leaks", "episodes", "from_index"]
