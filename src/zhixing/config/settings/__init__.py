"""Django settings for Zhixing, assembled from per-concern modules.

Every value comes from the environment with an embedded default, so `make run` needs nothing set.
Bad values fail fast at import time with a message naming the variable.
"""

from .base import *  # noqa: F403
from .cache import *  # noqa: F403
from .database import *  # noqa: F403
from .eservice import *  # noqa: F403
from .funds import *  # noqa: F403
from .partners import *  # noqa: F403
from .production import *  # noqa: F403  (refuses a production start on default or weak secrets)
from .proxies import *  # noqa: F403
from .queue import *  # noqa: F403
from .security import *  # noqa: F403
