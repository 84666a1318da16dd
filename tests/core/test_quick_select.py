"""QuickSelect renders the <select> Django's Select would: same name, id, selection and escaping."""

from django import forms

from xinfang.core.forms import QuickSelect


class Pick(forms.Form):
    unit = forms.ChoiceField(
        label="单位",
        required=False,
        choices=[("", "全部"), ("1", "<b>&局"), ("2", "二局")],
        widget=QuickSelect,
    )


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = str(Pick({"unit": "2"})["unit"])
    assert html.startswith("<select") and 'name="unit"' in html and 'id="id_unit"' in html
    assert '<option value="2" selected>二局</option>' in html
    assert '<option value="1">&lt;b&gt;&amp;局</option>' in html
    assert html.count(" selected") == 1


def test_an_unbound_form_selects_the_empty_choice_as_django_does():
    ours = str(Pick()["unit"])
    assert '<option value="" selected>全部</option>' in ours and ours.count(" selected") == 1
    django_select = str(forms.Select(choices=Pick.base_fields["unit"].choices).render("unit", None))
    assert '<option value="" selected>全部</option>' in django_select
