"""The test PostgreSQL server is real: a query crosses TCP to it and back."""

import psycopg


def test_a_fresh_database_answers_over_tcp(postgres_url):
    with psycopg.connect(postgres_url) as db:
        version = db.execute("SHOW server_version").fetchone()[0]
        tables = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert version.split(".")[0].isdigit()
    assert tables == 0


def test_the_server_survives_a_restart(postgres_cluster):
    url = postgres_cluster.create_database()
    postgres_cluster.restart()
    with psycopg.connect(url) as db:
        assert db.execute("SELECT 1").fetchone() == (1,)
