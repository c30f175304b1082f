"""The worker beside the web servers: queued tasks (webhook deliveries), the publishing schedule, API usage."""

import logging
import os
import threading
import time
from argparse import ArgumentTypeError

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from book.signals import worker_tick
from cms import scheduling

logger = logging.getLogger(scheduling.__name__)


def positive_interval(value):
    seconds = db_worker.valid_interval(value)
    if seconds <= 0:
        raise ArgumentTypeError(_("Must be more than zero seconds."))
    return seconds


class Worker(db_worker.Worker):
    """django-tasks' database worker, which also publishes and expires on schedule and records API usage.

    The schedule is kept in a thread of its own, so that a long queue of
    deliveries never delays a publication, nor a publication a delivery. On
    SIGTERM or Ctrl+C the tick under way is finished, then the process exits.
    In batch mode, one tick is run first, then every task that is due
    (including the deliveries of what the tick published).
    """

    def __init__(self, *, schedule_interval, **kwargs):
        super().__init__(**kwargs)
        self.schedule_interval = schedule_interval
        self.stopping = threading.Event()

    def shutdown(self, signum, frame):
        self.stopping.set()
        super().shutdown(signum, frame)

    def run(self):
        if self.batch:
            self.tick()
            super().run()
            return
        scheduler = threading.Thread(target=self.keep_schedule, name="publish-scheduled")
        scheduler.start()
        try:
            super().run()
        finally:
            self.stopping.set()
            scheduler.join()

    def keep_schedule(self):
        logger.info("Publishing on schedule every %s seconds.", self.schedule_interval)
        next_tick = time.monotonic()
        try:
            while not self.stopping.is_set():
                self.tick()
                next_tick += self.schedule_interval
                # A tick that overran its interval is not made up for: the next one starts at once.
                next_tick = max(next_tick, time.monotonic())
                self.stopping.wait(next_tick - time.monotonic())
        finally:
            connections.close_all()

    def tick(self):
        close_old_connections()
        try:
            scheduling.publish_scheduled()
        except Exception:
            # The database may be away for a while: the next tick tries again.
            logger.exception("Could not read the publishing schedule; trying again at the next tick.")
        try:
            # The rooms' periodic work (the API's usage counters, from the shared cache to the usage table).
            for receiver, result in worker_tick.send_robust(sender=self.__class__):
                if isinstance(result, Exception):
                    logger.error(
                        "%s failed; trying again at the next tick.",
                        getattr(receiver, "__qualname__", receiver),
                        exc_info=result,
                    )
        finally:
            close_old_connections()


class Command(db_worker.Command):
    @property
    def help(self):
        return _(
            "Run the worker beside the web servers: send queued webhook deliveries, and publish and "
            "expire pages, cities and sectors on schedule."
        )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(backend_name=settings.WORKER_TASK_BACKEND)
        parser.add_argument(
            "--schedule-interval",
            type=positive_interval,
            default=settings.SCHEDULED_PUBLISHING_INTERVAL,
            help=_("Seconds between two looks at the publishing schedule (SCHEDULED_PUBLISHING_INTERVAL)."),
        )

    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        logger.setLevel({0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG))
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        schedule_interval,
        **options,
    ):
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning(_("--reload and --batch cannot be used together: not reloading."))
            reload = False
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            schedule_interval=schedule_interval,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                # Only the process that runs the worker handles the signals.
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
