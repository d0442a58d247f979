"""`manage.py purge_expired`: delete the finished partnerships whose program's retention period
is over (privacy.retention). Run it daily (cron, a systemd timer, a Kubernetes CronJob);
`--dry-run` lists what would go."""

from django.core.management.base import BaseCommand

from mentorpact.privacy import retention


class Command(BaseCommand):
    help = "Delete the records of finished partnerships past their program's retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            for partnership in retention.expired():
                self.stdout.write(
                    f"{partnership.public_id}: {partnership.get_status_display()} since "
                    f"{partnership.status_changed_at:%Y-%m-%d} ({partnership.program.name})"
                )
            return
        purged = retention.purge_expired()
        self.stdout.write(
            f"purge_expired: {purged.partnerships} partnership(s) deleted, "
            f"{purged.files} stored file(s) removed"
        )
