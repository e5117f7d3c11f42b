from tests.documents.eservice_fixtures import gateways, sandbox_server, smtp_sink  # noqa: F401  (e-service)
from tests.funds.conftest import custody  # noqa: F401
