"""Helpers for matching tests: three intake questions and a small cohort beside the personas."""

from mentorpact.matching import services

QUESTIONS = """\
ranking:
  up_to: 2
  shortlist: 5
  weight: 3
questions:
  - key: mode
    label: How would you like to meet?
    kind: modes
    matters: should_match
    weight: 2
  - key: area
    label: Research area
    kind: choice
    options: [Biology, Chemistry]
    matters: should_match
  - key: department
    label: Department
    kind: choice
    options: [Life sciences, Engineering]
    matters: must_differ
  - key: hopes
    label: What do you hope for?
    kind: text
    asked_of: mentee
    required: false
"""


def save_questions(program, actor, source: str = QUESTIONS):
    return services.save_questions(program=program, source=source, actor=actor)


def answer(program, user, role, **answers):
    return services.save_profile(program=program, user=user, role=role, answers=answers)
