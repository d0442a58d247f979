from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _is_migrated(using: str) -> bool:
    """Every migration of this app is applied (a `migrate agreement_templates zero`, or a
    partial migrate, also sends post_migrate)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    leaves = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "agreement_templates"]
    return not executor.migration_plan(leaves)


def import_builtin_templates(sender, *, using: str = "default", verbosity: int = 1, **kwargs):
    """After `migrate`: make the built-in templates match the shipped files, so a fresh
    database lists the five seed forms and a changed file becomes a new version."""
    if using != "default" or not _is_migrated(using):
        return
    from .services import ensure_builtin_templates

    report = ensure_builtin_templates()
    if verbosity >= 1:
        for slug in report.created:
            print(f"  Added the built-in agreement template {slug}")
        for slug in report.updated:
            print(f"  Updated the built-in agreement template {slug} (a new version)")


class AgreementTemplatesConfig(AppConfig):
    name = "mentorpact.agreement_templates"
    label = "agreement_templates"
    verbose_name = "Agreement templates"

    def ready(self) -> None:
        # The documented place for work after migrate (like contenttypes and auth's
        # permissions); dispatch_uid keeps it to one connection however often ready() runs.
        post_migrate.connect(
            import_builtin_templates, sender=self, dispatch_uid="agreement_templates.builtins"
        )
