from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The pages that combine apps (the partnership page, "My partnerships", the program
    overview): the top layer, the one place allowed to import every other app."""

    name = "mentorpact.workspace"
    label = "workspace"
