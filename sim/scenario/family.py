"""Families of scenario items told apart by a tag field: pledges by ``pillar``, injects by
``action``.

A family is a registry of pydantic models. The models that hold a family's items (a scenario's
``pledges``, an ``add_pledge`` inject) declare the family's base class and are rebuilt with the
discriminated union of every registered member whenever the family changes, so adding a pillar or
an inject action is one new class and one registration, with validation, error messages and the
JSON Schema following from it.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Annotated, Any, Generic, TypeVar, Union, get_args

from pydantic import BaseModel, Field

M = TypeVar("M", bound=BaseModel)


class Family(Generic[M]):
    """A registry of models that share a base class and a literal tag field."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self._members: dict[str, type[M]] = {}
        self._holders: list[tuple[type[BaseModel], str, bool]] = []

    def tag_of(self, model: type[M]) -> str:
        """The tag value a model declares (``pillar: Literal["financing"]`` gives "financing")."""
        field = model.model_fields.get(self.tag)
        values = get_args(field.annotation) if field is not None else ()
        if len(values) != 1 or not isinstance(values[0], str):
            raise TypeError(f"{model.__name__} needs a field {self.tag}: Literal['<name>']")
        return values[0]

    def register(self, model: type[M]) -> type[M]:
        """Add a model to the family (usable as a class decorator) and rebuild the holders.

        Raises:
            ValueError: another model already has this tag.
        """
        name = self.tag_of(model)
        known = self._members.get(name)
        if known is model:
            return model
        if known is not None:
            raise ValueError(f"{self.tag} {name!r} is already registered by {known.__name__}")
        self._members[name] = model
        self._rebuild()
        return model

    def unregister(self, name: str) -> None:
        """Remove the model with this tag (tests that register a toy model undo it)."""
        self._members.pop(name, None)
        self._rebuild()

    def names(self) -> tuple[str, ...]:
        """Registered tags, in registration order."""
        return tuple(self._members)

    def __getitem__(self, name: str) -> type[M]:
        return self._members[name]

    def __iter__(self) -> Iterator[type[M]]:
        return iter(tuple(self._members.values()))

    def union(self) -> Any:
        """The discriminated union of every registered model."""
        members = tuple(self._members.values())
        return Annotated[Union[members], Field(discriminator=self.tag)]  # noqa: UP007

    def holds(self, model: type[BaseModel], field: str, *, many: bool = False) -> None:
        """Declare that ``model.field`` holds one of this family's items (a list if ``many``).

        The model is rebuilt now and at every change, in the order holders were declared, so a
        model that embeds another holder must be declared after it.
        """
        self._holders.append((model, field, many))
        self._rebuild()

    def _rebuild(self) -> None:
        if not self._members:
            return
        union = self.union()
        for model, field, many in self._holders:
            annotation: Any = types.GenericAlias(list, (union,)) if many else union
            model.__pydantic_fields__[field].annotation = annotation
            model.model_rebuild(force=True)
