"""The record page's send-back banner (R1): each open send-back shows, with its comment and
a "Mark addressed" form, on the tab it concerns; other tabs say where it is.

    {% load oversight %}{% send_back_banners open_send_backs tab %}

The activities templates load this tag instead of importing oversight (a higher floor).
"""

from __future__ import annotations

from typing import Any

from django.template import Context, Library

from oversight.forms import AddressForm
from oversight.models import SendBack

register = Library()

TAB_LABELS = {"details": "Details", "tracking": "Tracking", "response_notes": "TA response notes"}


@register.inclusion_tag("oversight/_send_back_banners.html", takes_context=True)
def send_back_banners(context: Context, send_backs: list[SendBack], tab: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    here, elsewhere = [], []
    for item in send_backs or ():
        if item.tab == tab:
            item.address_form = AddressForm(prefix=f"reply{item.pk}")
            item.can_address = bool(
                user is not None and user.has_perm("oversight.address_send_back", item)
            )
            here.append(item)
        else:
            item.tab_label = TAB_LABELS.get(item.tab, item.tab)
            elsewhere.append(item)
    return {
        "here": here,
        "elsewhere": elsewhere,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "return_url": request.get_full_path() if request is not None else "",
    }
