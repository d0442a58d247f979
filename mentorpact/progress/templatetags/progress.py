from django import template

register = template.Library()


@register.filter
def owner_of(item, partnership) -> str:
    return item.owner_text(partnership)


@register.filter
def learning_of(review, role) -> str:
    return review.learning_of(role)
