"""Generated clients read the schema's security: open operations must not look authenticated."""

from tests.api.conftest import api


def test_operations_open_to_anyone_declare_no_security(client):
    schema = client.get(api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [(path, operation) for path, item in schema["paths"].items() for operation in item.values()]
    assert operations
    # ``security: [{}]`` made openapi-python-client type every call as needing an AuthenticatedClient.
    assert [path for path, operation in operations if operation.get("security") == [{}]] == []
