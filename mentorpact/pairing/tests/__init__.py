"""Helpers for pairing tests: more people enrolled beside Cora, Mia and Theo."""

from mentorpact.accounts.models import User
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import make_user

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def enrol(program: Program, email: str, name: str, role: str, capacity: int = 1) -> User:
    user = User.objects.filter(email=email).first() or make_user(email, name)
    Enrolment.objects.create(program=program, user=user, role=role, capacity=capacity)
    return user


def set_capacity(program: Program, mentor: User, capacity: int) -> None:
    Enrolment.objects.filter(program=program, user=mentor, role=Enrolment.Role.MENTOR).update(
        capacity=capacity
    )
