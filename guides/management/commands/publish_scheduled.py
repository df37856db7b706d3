"""Put scheduled guide changes live. The job runner does it every minute; without a worker, run it from cron:

    * * * * *  cd /srv/glutasite && .venv/bin/python manage.py publish_scheduled

Readers get a due change even if this runs late: the guide page applies it
on the first request after its time. Guides scheduled for their first
publication need nothing: the published QuerySet compares their time.
"""

from jobs.commands import JobCommand


class Command(JobCommand):
    job_name = "publish_scheduled"
