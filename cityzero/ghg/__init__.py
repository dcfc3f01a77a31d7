"""Pure GHG accounting for city inventories (GPC): no Django, plain dataclasses in and out.

Modules: :mod:`gpc` (reference numbers and reporting levels), :mod:`gases` (gases, GWP sets),
:mod:`carriers` and :mod:`units` (what can be measured how, via pint), :mod:`factors` (emission
factor sets and their resolution order), :mod:`inventory` (rows → emissions), :mod:`totals`
(BASIC, BASIC+, mission scope and their reconciliation), :mod:`checks` and :mod:`projection`.
"""
