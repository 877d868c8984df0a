"""Periodic work: `flask elearn scheduler` wakes every minute and enqueues each task once in
each of its time slots (every 1, 5 or 15 minutes); a worker runs it.

Two schedulers may run at once (one per app host, or an old one not yet stopped during an
upgrade): before enqueueing, a scheduler takes the slot's lock in Redis, `SET key NX EX`, where
the key names the task and its slot (the start of the period, in minutes since the epoch). Only
one SET succeeds, so each task is enqueued once per slot however many schedulers fire. The
tasks are idempotent besides (each claims its rows with a conditional UPDATE), so a slot run
twice after all (a manual `flask elearn send-reminders` beside the scheduler) sends nothing
twice. Without Redis (development) the scheduler runs each task itself, inline.

RQ 3's own CronScheduler was not used: each of its instances enqueues on its own clock, so two
of them enqueue every task twice.
"""

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from . import enqueue, queued, redis_connection

log = logging.getLogger(__name__)
LOCK_PREFIX = "elearn:schedule"


@dataclass(frozen=True)
class Task:
    name: str
    path: str  # the job, by dotted path (elearn.jobs.enqueue)
    minutes: int  # runs once every this many minutes, on the slot's first minute
    what: str


TASKS = (
    Task("send-mail", "elearn.mail.delivery.deliver", 1,
         "retry outbox messages whose next attempt is due"),
    Task("send-reminders", "elearn.events.services.notifications.send_reminders", 15,
         "remind confirmed people whose event starts within 24 hours, once each"),
    Task("poll-attendance", "elearn.attendance.polling.poll_live_meetings", 5,
         "record who is in the live BigBlueButton meeting of every session on now"),
    Task("surveys", "elearn.surveys.services.lifecycle.run", 15,
         "open evaluation surveys and invite who attended, remind once, close when due"),
    Task("certificate-jobs", "elearn.certificates.services.bulk.fail_stalled", 5,
         "report bulk certificate jobs whose worker stopped as failed, to resume"),
    Task("download-jobs", "elearn.downloads.services.fail_stalled", 5,
         "report prepared downloads no worker finished in time as failed, to ask again"),
    Task("expire-downloads", "elearn.downloads.services.remove_expired", 15,
         "delete prepared download files past their expiry (DOWNLOADS_KEEP_HOURS)"),
    Task("warm-reports", "elearn.reports.warmup.warm_reports", 1,
         "audit the annual report's tables after the statistics changed, before anyone asks"),
)


def slot_of(task: Task, now: datetime) -> int:
    return int(now.timestamp() // 60) // task.minutes


def lock_key(task: Task, slot: int) -> str:
    return f"{LOCK_PREFIX}:{task.name}:{slot}"


def claim(connection, task: Task, slot: int, owner: str) -> bool:
    """Take the (task, slot) lock; False when another scheduler has it. The lock outlives the
    slot, so a scheduler restarted within it does not enqueue the task again."""
    seconds = task.minutes * 60 * 2
    return bool(connection.set(lock_key(task, slot), owner, nx=True, ex=seconds))


def tick(now: datetime | None = None, *, owner: str = "scheduler", tasks=TASKS,
         run_inline=None, ran: dict | None = None) -> list[str]:
    """Start each task once in its current slot: the first tick within a slot (of any
    scheduler) enqueues it, so a scheduler started mid-slot or woken late catches up. Returns
    the names of the tasks this scheduler started. Without Redis each task is run by
    `run_inline(path)`, and `ran` (task name -> slot) remembers what this process ran."""
    now = now or datetime.now(UTC)
    ran = {} if ran is None else ran
    started = []
    connection = redis_connection() if queued() else None
    for task in tasks:
        slot = slot_of(task, now)
        if connection is not None:
            if not claim(connection, task, slot, owner):
                continue
            enqueue(task.path)
        else:
            if ran.get(task.name) == slot:
                continue
            ran[task.name] = slot
            try:
                run_inline(task.path)
            except Exception:  # one failing task must not stop the others or the scheduler
                log.exception("scheduled task %s failed", task.name)
                continue
        started.append(task.name)
    return started


def scheduler_seen(connection, now: datetime | None = None) -> bool:
    """Whether some scheduler started the every-minute task this minute or the one before
    (for a readiness check): its slot locks are the scheduler's heartbeat."""
    now = now or datetime.now(UTC)
    task = next(task for task in TASKS if task.minutes == 1)
    slot = slot_of(task, now)
    return bool(connection.exists(lock_key(task, slot), lock_key(task, slot - 1)))


def seconds_to_next_minute(now: float | None = None) -> float:
    now = time.time() if now is None else now
    return 60 - now % 60 + 0.5  # half a second in, so the new minute has surely begun
