"""FastSelect writes many options in one pass: every label escaped, the posted value selected,
the KERN attributes kept, and the options read only when the select is rendered."""

from __future__ import annotations

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadtlotse.core import services
from stadtlotse.core.forms import FastSelect, KernFormMixin, rows_of
from stadtlotse.core.models import Department


class DepartmentChoice(KernFormMixin, forms.Form):
    department = forms.ModelChoiceField(label="Amt", queryset=Department.objects.none(), widget=FastSelect)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].widget.rows = rows_of(departments.values_list("pk", "name"))


def test_labels_are_escaped_and_the_posted_value_is_selected(plauen, admin):
    hostile = services.create_department(municipality=plauen, by=admin, code="66", name='<script>x("1")</script> & Co')
    plain = services.create_department(municipality=plauen, by=admin, code="67", name="Kämmerei")
    form = DepartmentChoice({"department": str(plain.pk)}, departments=Department.objects.filter(municipality=plauen))
    assert form.is_valid() and form.cleaned_data["department"] == plain
    html = str(form["department"])
    assert "<script>" not in html
    assert "&lt;script&gt;x(&quot;1&quot;)&lt;/script&gt; &amp; Co" in html
    assert f'<option value="{plain.pk}" selected>Kämmerei</option>' in html
    assert f'<option value="{hostile.pk}">' in html and '<option value="">---------</option>' in html
    opening = html[: html.index(">") + 1]
    assert 'class="kern-form-input__select"' in opening and 'name="department"' in opening
    assert 'id="id_department"' in opening and "required" in opening


def test_a_value_outside_the_queryset_is_refused_and_marked_invalid(plauen, celle, admin):
    other = services.create_department(municipality=celle, by=None, code="10", name="Fremdes Amt")
    form = DepartmentChoice({"department": str(other.pk)}, departments=Department.objects.filter(municipality=plauen))
    assert not form.is_valid() and "department" in form.errors
    assert 'aria-invalid="true"' in str(form["department"])


def test_the_options_are_read_only_when_rendered(plauen, admin):
    services.create_department(municipality=plauen, by=admin, code="68", name="Bauamt")
    departments = Department.objects.filter(municipality=plauen)
    with CaptureQueriesContext(connection) as queries:
        form = DepartmentChoice(departments=departments)
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        html = str(form["department"])
    assert len(queries) == 1 and "Bauamt" in html
