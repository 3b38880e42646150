"""Background jobs of the Excel exchange: applying an uploaded sheet (see exchange.jobs)."""

from huey.contrib.djhuey import db_task

from vanguard.exchange.jobs import run_job


@db_task()
def run_import_job(job_id):
    """Apply one import job's upload; return its state."""
    job = run_job(job_id)
    return job.state if job is not None else None
