"""Uploads in an S3-compatible object store, for installations on several machines.

A real S3-compatible server (moto's standalone server) runs as a subprocess on a free port of
127.0.0.1; the storage settings are the ones config/settings.py makes from the environment
(read in a subprocess), and files are saved and read back through Django's storage API and an
upload view, as on a production machine.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.outages.servers import free_port, wait_for_port

BASE_DIR = Path(django_settings.BASE_DIR)
BUCKET = "partnerskap-uploads"
KEYS = {"AWS_ACCESS_KEY_ID": "test-access-key", "AWS_SECRET_ACCESS_KEY": "test-secret-key"}


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 -- fixed arguments
        [str(BASE_DIR / ".venv/bin/moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=60)
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="eu-north-1",
            aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
        ).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def storages_from_environment(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES))"
    )
    result = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture
def s3_storage(settings, s3_server):
    settings.STORAGES = storages_from_environment(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_server,
        AWS_S3_REGION_NAME="eu-north-1",
        AWS_LOCATION="media",
        **KEYS,
    )
    return storages["default"]


def _objects(endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-north-1",
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_local_disk_stays_the_default():
    default = storages_from_environment(STORAGE_BACKEND="local")["default"]

    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_file_is_saved_to_and_read_back_from_the_object_store(s3_storage, s3_server):
    name = s3_storage.save("ideas/1/photo.png", ContentFile(b"\x89PNG a photo"))

    assert type(s3_storage).__name__ == "S3Storage"
    assert f"media/{name}" in _objects(s3_server)
    with s3_storage.open(name, "rb") as stored:
        assert stored.read() == b"\x89PNG a photo"
    assert s3_storage.exists(name)
    # A second upload with the same name never overwrites the first.
    assert s3_storage.save("ideas/1/photo.png", ContentFile(b"another")) != name
    s3_storage.delete(name)
    assert not s3_storage.exists(name)
    with pytest.raises(FileNotFoundError):
        s3_storage.open(name, "rb")


@pytest.mark.django_db
def test_an_idea_attachment_goes_to_the_object_store_and_is_served_to_its_submitter(
    client, s3_storage, s3_server, staff_user
):
    from portfolio.models import IdeaAttachment
    from tests.portfolio.factories import IdeaFactory

    idea = IdeaFactory(submitter=staff_user, clinic=staff_user.clinic)
    attachment = IdeaAttachment.objects.create(
        idea=idea,
        file=SimpleUploadedFile("notes.txt", b"what we saw on the ward"),
        original_name="notes.txt",
        content_type="text/plain",
        size=23,
        uploaded_by=staff_user,
    )
    client.force_login(staff_user)

    response = client.get(reverse("portfolio:idea_attachment", args=[idea.pk, attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"what we saw on the ward"
    assert f"media/{attachment.file.name}" in _objects(s3_server)
