"""Staff roles (see docs/roles.md): DERCI editor, Office editor, Viewer.

Creates, for every model of the four apps, its permissions first (they normally appear only
after all migrations ran), then:

- ``publish_<model>`` on each publishable model: who may publish a draft;
- ``offices.edit_all_offices``: changes are not limited to one's own offices' records;
- the three groups with their permissions.

Running it again brings the groups back to this definition. A model added later needs a
migration adding its permissions to the roles.
"""

from django.db import migrations

APPS = ("core", "offices", "partnerships", "instruments")
REFERENCE = {("core", "institute"), ("offices", "sector"), ("offices", "country")}
PUBLISHABLE = {
    ("core", "keyfigure"): "key figure",
    ("offices", "office"): "office",
    ("partnerships", "institution"): "institution",
    ("partnerships", "agreement"): "agreement",
    ("partnerships", "call"): "call for proposals",
    ("partnerships", "milestone"): "milestone",
    ("instruments", "network"): "network",
    ("instruments", "instrument"): "instrument",
}
EDIT_ALL_OFFICES = ("offices", "office", "edit_all_offices", "Can edit the records of every office")
OFFICE_EDITOR_CHANGES = {
    ("offices", "office"): ("change",),
    ("partnerships", "agreement"): ("add", "change"),
    ("partnerships", "call"): ("add", "change"),
    ("instruments", "instrument"): ("add", "change"),
}
DERCI, OFFICE_EDITOR, VIEWER = "DERCI editor", "Office editor", "Viewer"


def curated_models(apps):
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.auto_created or model.__name__.startswith("Historical"):
                continue
            yield app_label, model._meta.model_name


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    def content_type(app_label, model):
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    def perm(app_label, model, codename, name=None):
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type(app_label, model),
            codename=codename,
            defaults={"name": name or codename},
        )
        return permission

    for (app_label, model), verbose_name in PUBLISHABLE.items():
        perm(app_label, model, f"publish_{model}", f"Can publish {verbose_name}")
    perm(*EDIT_ALL_OFFICES)

    derci, viewer, office_editor = [], [], []
    for app_label, model in curated_models(apps):
        view = perm(app_label, model, f"view_{model}")
        viewer.append(view)
        office_editor.append(view)
        derci.append(view)
        if (app_label, model) not in REFERENCE:
            derci += [
                perm(app_label, model, f"{action}_{model}")
                for action in ("add", "change", "delete")
            ]
        if (app_label, model) in PUBLISHABLE:
            derci.append(perm(app_label, model, f"publish_{model}"))
        for action in OFFICE_EDITOR_CHANGES.get((app_label, model), ()):
            office_editor.append(perm(app_label, model, f"{action}_{model}"))
    derci.append(perm(*EDIT_ALL_OFFICES))
    # To pick office editors on an office's form (autocomplete), and see who changed what.
    derci.append(perm("auth", "user", "view_user"))

    for name, permissions in ((DERCI, derci), (OFFICE_EDITOR, office_editor), (VIEWER, viewer)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name__in=[DERCI, OFFICE_EDITOR, VIEWER]).delete()
    Permission.objects.filter(
        codename__in=[f"publish_{model}" for _app, model in PUBLISHABLE]
    ).delete()
    Permission.objects.filter(codename=EDIT_ALL_OFFICES[2]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_search_indexes"),
        ("offices", "0002_office_editors"),
        ("partnerships", "0001_initial"),
        ("instruments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
