"""Event payloads (CloudEvents `data`) of Werkkloket, version 1, by subject: `kandidaat`, `vacatures`,
`werknaarwerk`; codes, enumerations and base classes in `basis`.

No direct identifier ever appears here: no BSN, name, phone, e-mail or street address. A candidate is known on
the bus only by the pseudonymous `kandidaat_id`; contact data stay in the intake service.
"""
