"""Querysets whose SQL is worked out once per process, then run with new values each time.

Django builds and compiles a queryset's SQL afresh every time it is evaluated. For a small query
that is most of its cost: about 300 µs of building and compiling against some 20 µs of running
it. A page that runs the same few queries on every request, changing only a value or two (an
issue's id, the current time), can keep the SQL the ORM wrote and swap the values.

    linked_workshops = PreparedQuery(
        lambda issue_id, now: Workshop.objects.published(now).filter(sections__issue=issue_id),
        issue_id=int,
        now=datetime,
    )
    workshops = linked_workshops(issue_id=issue.pk, now=timezone.now())

The queryset is built twice with different stand-in values, and each stand-in is found among
the compiled parameters. A queryset is refused when it is prepared if its SQL text depends on a
value (an ``__in`` list, say), or if another parameter does, or the clock does (a
``published()`` not given the time). The rows come back as model instances through
``Model.objects.raw()``, with the queryset's annotations as attributes and its ``only()`` fields
loaded; raw() cannot follow select_related() or prefetch_related(), so those are refused too.
Nothing is cached but the SQL: every call runs the query.
"""

import datetime
import itertools

from django.db import connections
from django.utils import timezone

# Values no page asks for, by type. Two sets, to check that only the parameters change.
_STAND_INS = {
    int: (987_654_321, 987_654_322),
    datetime.datetime: (
        datetime.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=datetime.UTC),
        datetime.datetime(1902, 3, 4, 5, 6, 7, 890_123, tzinfo=datetime.UTC),
    ),
    datetime.date: (datetime.date(1903, 4, 5), datetime.date(1904, 5, 6)),
}


# The earliest and the latest time zones: their dates always differ.
_ZONES = ("Etc/GMT+12", "Etc/GMT-14")


def _adapt(connection, value):
    """The value as Django passes it to the database driver for a lookup on a model field."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class PreparedQuery:
    def __init__(self, build, using="default", **placeholders):
        """``build(**values)`` returns the queryset; ``placeholders`` name each value's type:
        ``int``, ``datetime.datetime`` (aware) or ``datetime.date``."""
        unsupported = set(placeholders.values()) - set(_STAND_INS)
        if unsupported:
            raise TypeError(f"PreparedQuery cannot stand in for {unsupported}")
        self.build = build
        self.using = using
        self.placeholders = placeholders
        self._prepared = None

    def _prepare(self):
        connection = connections[self.using]
        compiled = []
        for which in (0, 1):
            stand_ins = {name: _STAND_INS[kind][which] for name, kind in self.placeholders.items()}
            # Each build in a time zone 26 hours from the other's: a value read from the clock
            # or the calendar (timezone.localdate(), say) then differs between the two, even
            # one that stays the same all day, and is refused below.
            with timezone.override(_ZONES[which]):
                queryset = self.build(**stand_ins)
                if queryset.query.select_related or queryset._prefetch_related_lookups:
                    raise ValueError("PreparedQuery: raw() rows cannot have related objects joined")
                sql, params = queryset.query.get_compiler(self.using).as_sql()
            compiled.append((sql, list(params), stand_ins))
        (sql, params, stand_ins), (other_sql, other_params, other_stand_ins) = compiled
        if sql != other_sql:
            raise ValueError("PreparedQuery: the SQL changes with the values, not just parameters")
        positions = {}
        for name, value in stand_ins.items():
            adapted = _adapt(connection, value)
            positions[name] = [i for i, param in enumerate(params) if param == adapted]
            if not positions[name]:
                raise ValueError(f"PreparedQuery: {name} is not among the query's parameters")
        taken = list(itertools.chain.from_iterable(positions.values()))
        if len(taken) != len(set(taken)):
            raise ValueError("PreparedQuery: two placeholders share a parameter")
        # Every other parameter must be the same whatever the values, and whenever it is built:
        # one worked out from a value, or from the clock (published() without a time), would
        # otherwise be kept from the first request for good.
        if self._substitute(connection, params, positions, other_stand_ins) != other_params:
            raise ValueError(
                "PreparedQuery: a parameter depends on something other than the placeholders"
            )
        return queryset.model, sql, params, positions

    @staticmethod
    def _substitute(connection, params, positions, values):
        params = list(params)
        for name, at in positions.items():
            for position in at:
                params[position] = _adapt(connection, values[name])
        return params

    def __call__(self, **values):
        """The rows, for these values. Values the query has no placeholder for are ignored, so
        that several queries can be run with the same ones."""
        missing = self.placeholders.keys() - values.keys()
        if missing:
            raise TypeError(f"PreparedQuery needs {sorted(missing)}")
        if self._prepared is None:
            # Two threads may both prepare it the first time: they work out the same thing.
            self._prepared = self._prepare()
        model, sql, params, positions = self._prepared
        params = self._substitute(connections[self.using], params, positions, values)
        return list(model.objects.using(self.using).raw(sql, params))
