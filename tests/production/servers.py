"""Real servers for the production tests: gunicorn, the worker and redis-server as subprocesses."""

import atexit
import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ALLOWED_HOST = "book.example.org"


def free_port():
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cache_directory():
    """A new directory for a server's file cache, removed when the test run ends."""
    path = tempfile.mkdtemp(prefix="book-production-cache-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def production_env(**extra):
    """The environment of a production process: the required variables and nothing from the test run."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_", "FRONTEND_CACHE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY=get_random_secret_key(),
        DJANGO_ALLOWED_HOSTS=ALLOWED_HOST,
        WAGTAILADMIN_BASE_URL=f"https://{ALLOWED_HOST}",
        # A cache of its own, which no other test's server has filled.
        DJANGO_CACHE_DIR=cache_directory(),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return {name: value for name, value in env.items() if value is not None}


def manage(*args, env, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=check,
    )


def wait_until(condition, what, attempts=200, pause=0.1):
    for _attempt in range(attempts):
        if condition():
            return
        time.sleep(pause)
    raise RuntimeError(f"Still waiting for {what}")


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class Gunicorn:
    """gunicorn with the project's configuration file, one worker unless told, on a free loopback port."""

    def __init__(self, env, log_dir, workers=1):
        self.port = free_port()
        self.log_path = Path(log_dir) / f"gunicorn-{self.port}.log"
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)}
        self.process = None

    def __enter__(self):
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "cms/gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: self.process.poll() is not None or answers(self.port), "gunicorn", attempts=600)
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {self.output()}")
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def output(self):
        # Also read once the worker is stopped and its log closed, to explain a failure.
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()

    def get(self, path, host=ALLOWED_HOST, https=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": host}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


class Worker:
    """``manage.py run_worker`` as ``make worker`` runs it, looking at the schedule every ``schedule_interval`` seconds."""

    def __init__(self, env, log_dir, name="worker", schedule_interval=1):
        self.log_path = Path(log_dir) / f"{name}.log"
        self.env = env
        self.args = ["--no-reload", "--schedule-interval", str(schedule_interval), "--interval", "0.2"]
        self.process = None
        self.returncode = None

    def __enter__(self):
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", *self.args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def __exit__(self, *exc):
        self.stop()
        self.log.close()

    def stop(self):
        """SIGTERM, as a process manager stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.returncode = self.process.returncode
        return self.returncode

    def output(self):
        # Also read once the worker is stopped and its log closed, to explain a failure.
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()


class RedisServer:
    """A private redis-server, without persistence, that a test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @staticmethod
    def available():
        return shutil.which("redis-server") is not None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._pong, "redis-server")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        wait_until(lambda: not answers(self.port), "redis-server shutdown")

    def _pong(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class CuttableProxy:
    """A TCP relay to a server on loopback that a test can cut and mend, keeping the server's data.

    Stopping Redis would empty it (no persistence); cut, the relay refuses new
    connections and drops the open ones, as a network that no longer reaches
    Redis does, while Redis keeps every key it had.
    """

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.listener = None
        self.connections = []
        self.lock = threading.Lock()

    def url(self, database=0):
        return f"redis://127.0.0.1:{self.port}/{database}"

    def mend(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        listener, self.listener = self.listener, None
        # shutdown() wakes the thread blocked in accept(); close() alone may not.
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        with self.lock:
            connections, self.connections = self.connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
