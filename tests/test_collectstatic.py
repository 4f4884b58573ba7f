"""Production serves hashed static files: collectstatic with the manifest storage must work.

A vendored script that names a source map which is not there makes it fail, and with it
every deployment; the test suite runs with plain storage, so this checks the real one.
"""

from django.core.management import call_command


def test_collectstatic_with_the_production_manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
