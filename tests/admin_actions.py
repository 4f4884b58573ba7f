"""Run a lifecycle action of the admin (core/admin_lifecycle.py) the way a browser does: the
action from the list, then its confirmation page posted back with what that page carried."""

from django.contrib.admin import helpers


def open_action(client, changelist_url, action, objects):
    """The first post, from the list: answers with the confirmation page."""
    return client.post(
        changelist_url,
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects],
            "index": "0",
        },
    )


def confirm_action(client, changelist_url, page, **fields):
    """Post the confirmation ``page`` back with ``fields`` as the form's input; follows the
    redirect to the list, so the answer carries the messages."""
    data = {
        "action": page.context["action"],
        helpers.ACTION_CHECKBOX_NAME: [entry["object"].pk for entry in page.context["objects"]],
        "lifecycle_confirmed": "yes",
        **fields,
    }
    for entry in page.context["objects"]:
        if entry["seen"] is not None:
            data[f"seen-{entry['object'].pk}"] = entry["seen"]
    return client.post(changelist_url, data, follow=True)


def run_action(client, changelist_url, action, objects, **fields):
    page = open_action(client, changelist_url, action, objects)
    assert page.status_code == 200, page.content[:2000]
    assert page.context.get("action") == action, "the action is not offered"
    return confirm_action(client, changelist_url, page, **fields)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
