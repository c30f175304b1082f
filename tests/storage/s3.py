"""A real S3-compatible server for the tests, and what they need to use it.

The endpoint is the environment's ``AWS_S3_ENDPOINT_URL`` when it names one (as
CI does); otherwise the tests start moto's standalone server on the loopback
interface for the length of the run.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

REGION = "us-east-1"
# moto accepts any credentials; a real endpoint gets the environment's own.
CREDENTIALS = {
    "aws_access_key_id": os.environ.get("AWS_ACCESS_KEY_ID", "test"),
    "aws_secret_access_key": os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
}


def region():
    return os.environ.get("AWS_S3_REGION_NAME") or os.environ.get("AWS_DEFAULT_REGION") or REGION


def client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region(),
        config=Config(retries={"max_attempts": 2}),
        **CREDENTIALS,
    )


def storage_settings(endpoint, bucket, location=""):
    """``STORAGES["default"]`` for media in ``bucket``, as cms.settings.base builds it."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": region(),
            "file_overwrite": False,
            "querystring_auth": False,
            "location": location,
            "access_key": CREDENTIALS["aws_access_key_id"],
            "secret_key": CREDENTIALS["aws_secret_access_key"],
        },
    }


# What the README asks of a production bucket: anyone may read images (originals
# and renditions); documents stay private, the app serves them after its checks.
PUBLIC_PREFIXES = ("original_images/", "images/")


def public_read_policy(bucket, prefixes=PUBLIC_PREFIXES):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadImages",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in prefixes],
                }
            ],
        }
    )


def create_media_bucket(s3, bucket):
    """A bucket set up as the README asks of a production one."""
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))


def unique_bucket_name(prefix="book-test"):
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def bucket_exists(s3, bucket):
    try:
        s3.head_bucket(Bucket=bucket)
    except s3.exceptions.ClientError:
        return False
    return True


def keys(s3, bucket, prefix=""):
    """Every object key in ``bucket`` under ``prefix``."""
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        found.extend(item["Key"] for item in page.get("Contents", []))
    return found


def empty(s3, bucket, prefix=""):
    names = keys(s3, bucket, prefix)
    for start in range(0, len(names), 1000):
        batch = [{"Key": name} for name in names[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(endpoint):
    try:
        with urllib.request.urlopen(endpoint + "/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


class MotoServer:
    """moto's standalone S3-compatible server in a process of its own, on 127.0.0.1."""

    def __init__(self):
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, timeout=60):
        command = [
            str(Path(sys.executable).with_name("moto_server")),
            "-H",
            "127.0.0.1",
            "-p",
            str(self.port),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"The S3 server stopped at start-up (exit code {self.process.returncode})."
                )
            if _answers(self.endpoint):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"The S3 server did not answer on {self.endpoint} within {timeout} s.")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def configured_media_bucket(settings):
    """The environment's media bucket and endpoint, when the settings put media on S3."""
    default = settings.STORAGES["default"]
    if default["BACKEND"] != "storages.backends.s3.S3Storage":
        return None
    options = default.get("OPTIONS", {})
    return options["bucket_name"], options.get("endpoint_url")


def with_location(storages, location):
    """``storages`` with the default storage's keys under ``location``."""
    default = storages["default"]
    options = {**default.get("OPTIONS", {}), "location": location}
    return {**storages, "default": {**default, "OPTIONS": options}}
