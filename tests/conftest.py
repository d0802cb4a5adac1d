import pytest
from click.testing import CliRunner

from claimline import db as database
from claimline.cli import cli


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "claimline.db")


@pytest.fixture
def fresh_db(db_path):
    return database.open_db(db_path)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo pipeline, run once into a temporary database."""
    path = str(tmp_path_factory.mktemp("demo") / "demo.db")
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--db", path])
    assert result.exit_code == 0, result.output
    return path
