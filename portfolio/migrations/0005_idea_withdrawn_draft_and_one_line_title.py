# A draft its submitter withdraws was never submitted: it keeps no submission date.
# An idea's title is one line (it becomes an e-mail subject).

import portfolio.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0004_history'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='idea',
            name='idea_submitted_has_date',
        ),
        migrations.AlterField(
            model_name='idea',
            name='title',
            field=models.CharField(max_length=200, validators=[portfolio.models.validate_single_line], verbose_name='title'),
        ),
        migrations.AddConstraint(
            model_name='idea',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ('draft', 'withdrawn')), ('submitted_at__isnull', False), _connector='OR'), name='idea_submitted_has_date', violation_error_message='A submitted idea needs its submission date.'),
        ),
    ]
