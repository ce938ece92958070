"""Base views every public page builds on: a filtered list and a published record."""

import difflib

from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView


class FilteredListView(FilterView):
    """A public list narrowed by its app's FilterSet, paginated, and forgiving of bad input.

    A value that means nothing (``country=ZZ``, ``year=abc``) is left out and named in a notice
    while the parameter's other values (``country=cn&country=zz`` keeps China) and the other
    parameters still apply; a parameter the list does not take (``contry=cn``) is ignored with a
    notice; a page number out of range shows the nearest page. The links the page builds from
    its query (downloads, feed, pages, sorting, filter chips) never carry what was left out: the
    request's ``GET`` is replaced by the query as applied.
    """

    paginate_by = 20
    strict = False
    nav = ""
    # Parameters a list takes besides its filters.
    extra_parameters = frozenset({"page"})

    def get(self, request, *args, **kwargs):
        self.notices = []
        return super().get(request, *args, **kwargs)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if not filterset.is_bound:
            return filterset
        data = filterset.data
        applied = QueryDict(mutable=True)
        known = set(filterset.filters) | self.extra_parameters
        for name in data:
            if name in known:
                applied.setlist(name, data.getlist(name))
            else:
                self.notices.append(unknown_parameter_notice(name, known))
        if filterset.errors:
            self.notices.extend(drop_invalid_values(filterset, applied))
        if applied != data:
            kwargs = self.get_filterset_kwargs(filterset_class)
            kwargs["data"] = applied
            clean = filterset_class(**kwargs)
            keep_loaded_choices(filterset, clean)
            clean.as_given = filterset  # for the chips of the values left out
            filterset = clean
            applied._mutable = False
            self.request.GET = applied
        return filterset

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get(self.page_kwarg, "").strip()
        number = 1
        if raw:
            try:
                number = int(raw)
            except ValueError:
                self.notices.append(
                    _("“%(page)s” is not a page number: here is the first page.")
                    % {"page": raw[:20]}
                )
            else:
                if number < 1:
                    number = 1
                    self.notices.append(_("Pages start at 1: here is the first page."))
                elif number > paginator.num_pages:
                    self.notices.append(
                        _("There is no page %(page)s: here is the last page (%(last)d).")
                        % {"page": raw[:20], "last": paginator.num_pages}
                    )
                    number = paginator.num_pages
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = self.nav
        context["notices"] = filter_notices(self.filterset) + self.notices
        return context


def may_preview(user, model) -> bool:
    """Whether ``user`` may see drafts of ``model``: staff with the right to view that model.

    A staff account in no role (or in a role without this model) sees the public site only.
    """
    opts = model._meta
    return bool(
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


class PublishedDetailView(DetailView):
    """One published record; staff who may view the model see a draft too with ``?preview=1``."""

    nav = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Only a preview request looks at the user, so ordinary visits load no session.
        self.preview = request.GET.get("preview") == "1" and may_preview(request.user, self.model)

    def get_queryset(self):
        manager = self.model._default_manager
        return self.optimize(manager.all() if self.preview else manager.published())

    def optimize(self, queryset):
        return queryset

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            raise Http404(_("No such page.")) from None

    def json_ld(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = self.nav
        context["is_draft_preview"] = not self.object.is_published
        context["structured_data"] = self.json_ld()
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_draft_preview"]:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response


def unknown_parameter_notice(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        return _(
            "The parameter “%(param)s” is not one this list takes (did you mean “%(close)s”?): it was ignored."
        ) % {"param": name[:60], "close": close[0]}
    return _("The parameter “%(param)s” is not one this list takes: it was ignored.") % {
        "param": name[:60]
    }


def drop_invalid_values(filterset, applied: QueryDict) -> list[str]:
    """Leave out of ``applied`` each value the form rejected, keeping the parameter's others."""
    notices = []
    form = filterset.form
    for name in list(form.errors):
        field = form.fields.get(name)
        if field is None or name not in applied:
            continue
        label = field.label or name
        kept = []
        for raw in applied.getlist(name):
            one = QueryDict(mutable=True)
            one.setlist(name, [raw])
            try:
                field.clean(field.widget.value_from_datadict(one, {}, name))
            except ValidationError as error:
                for message in error.messages:
                    notices.append(
                        _(
                            "The value “%(value)s” of the filter “%(label)s” (%(param)s) was ignored: %(error)s"
                        )
                        % {"value": str(raw)[:60], "label": label, "param": name, "error": message}
                        if len(applied.getlist(name)) > 1
                        else _("The filter “%(label)s” (%(param)s) was ignored: %(error)s")
                        % {"label": label, "param": name, "error": message}
                    )
            else:
                kept.append(raw)
        if kept:
            applied.setlist(name, kept)
        else:
            del applied[name]
    return notices


def keep_loaded_choices(old, new):
    """The values a field loaded to validate serve the clean form too (no second query)."""
    for name, field in old.form.fields.items():
        loaded = getattr(field, "_choices", None)
        if loaded is not None and name in new.form.fields:
            new.form.fields[name]._choices = loaded


def filter_notices(filterset) -> list[str]:
    """A sentence per filter value the form rejected (``country=ZZ``): it was ignored."""
    if not filterset.is_bound:
        return []
    notices = []
    for name, errors in filterset.form.errors.items():
        field = filterset.form.fields.get(name)
        label = field.label if field is not None else name
        for error in errors:
            notices.append(
                _("The filter “%(label)s” (%(param)s) was ignored: %(error)s")
                % {"label": label, "param": name, "error": error}
            )
    return notices
