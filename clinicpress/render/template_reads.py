"""Templates in, the ``Post`` attributes they read of posts other than the page's own.

A post page shows its own post, which is part of its cache key whole, and parts of
other posts (cards of related posts, previous and next, tag lists). Which parts is
read from the templates themselves (the Jinja syntax tree of every template the
site and the theme have), so that a site template showing another field of other
posts changes the page-cache key as soon as that field changes. An attribute read
from the name ``post`` where it means the page's own post (not a loop variable or
a macro argument of that name) is left out; any access the tree cannot name (a
subscript with a variable key, ``attr()`` with a variable) counts as reading every
attribute. A template that asks the site for a list of posts (``site.posts_by(...)``,
``site.by_author[...]``) also reads where every post stands (``PLACE_READS``), since that
decides which posts the list gives. (The site under another name, ``{% set s = site %}``,
is not followed.)
"""

from __future__ import annotations

from dataclasses import fields

import jinja2
from jinja2 import nodes

from clinicpress.model import Post

POST_ATTRIBUTES = frozenset(
    {f.name for f in fields(Post)} | {n for n, v in vars(Post).items() if isinstance(v, property)})
# The site's lists of posts: which posts they give depends on where each post stands
# (its date, tags, authors, reviewer, related posts), which a template that shows them
# need not read itself.
SITE_LISTS = frozenset({"posts", "tags", "related", "by_author", "posts_by", "reviewed_by",
                        "tag_group", "related_to"})
# What decides where a post stands (``content.site``): read as well by a template that
# asks the site for a list of posts.
PLACE_READS = frozenset({"slug", "published", "draft", "tags", "related_slugs", "authors",
                         "review.reviewer.id"})
_ATTRIBUTE_FILTERS = {"attr", "map", "sort", "groupby", "selectattr", "rejectattr", "sum",
                      "unique", "min", "max"}


def _root(node: nodes.Node) -> str | None:
    """The variable an expression such as ``post.review.reviewer`` starts from."""
    while isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Filter) and node.node:
        node = node.node
    return node.name if isinstance(node, nodes.Name) else None


def _chain(node: nodes.Getattr) -> str | None:
    """'review.next_due' for ``post.review.next_due``: the attributes read, in order, when
    the expression is only attribute reads from a name (else None)."""
    parts = []
    current: nodes.Node = node
    while isinstance(current, nodes.Getattr):
        parts.append(current.attr)
        current = current.node
    return ".".join(reversed(parts)) if isinstance(current, nodes.Name) else None


def _names(target: nodes.Node) -> set[str]:
    return {n.name for n in target.find_all(nodes.Name)} | (
        {target.name} if isinstance(target, nodes.Name) else set())


def _reads(node: nodes.Node, own: frozenset[str], found: set[str]) -> bool:
    """Add to ``found`` the attributes read under ``node`` of anything but the page's own
    post (``own``: the names that mean it or a part of it, such as a loop over its
    citations); False if some read cannot be named."""
    named = True
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        own = own - {arg.name for arg in node.args}
    elif isinstance(node, nodes.For):
        named = _reads(node.iter, own, found)
        targets = _names(node.target)
        inner = own | targets if _root(node.iter) in own else own - targets
        for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
            named = _reads(child, inner, found) and named
        return named
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and \
            node.node.name == "site":
        found.add("site:" + node.attr)  # (a list of the site's, see ``SITE_LISTS``)
    if isinstance(node, nodes.Getattr) and _root(node) not in own:
        chain = _chain(node)
        if chain is not None:  # only what is read: post.readability.minutes, not all of it
            found.add(chain)
            return named
        found.add(node.attr)
    elif isinstance(node, nodes.Getitem):
        key = node.arg.value if isinstance(node.arg, nodes.Const) else None
        if isinstance(key, str) and _root(node) not in own:
            found.add(key)
        elif not isinstance(key, str | int):
            named = False
    elif isinstance(node, nodes.Filter) and node.name in _ATTRIBUTE_FILTERS:
        for value in [*node.args, *(kw.value for kw in node.kwargs)]:
            if isinstance(value, nodes.Const) and isinstance(value.value, str):
                found.update(value.value.split("."))
            elif not isinstance(value, nodes.Const):
                named = False
    for child in node.iter_child_nodes():
        named = _reads(child, own, found) and named
    return named


def other_posts_reads(env: jinja2.Environment, page: str = "post.html") -> tuple[str, ...]:
    """The ``Post`` attributes that ``page`` and the templates it extends, includes or
    imports read of posts other than the page's own, sorted, as dotted paths where only
    a part is read (``readability.minutes``; see ``read_value``). From a template it only
    imports macros from (``{% from "macros.html" import byline %}``), only those macros
    (and the ones they call) count, so a card macro the post page never calls does not
    make every post page depend on every post's text."""
    found: set[str] = set()
    assert env.loader is not None
    todo: list[tuple[str, frozenset[str] | None]] = [(page, None)]
    seen: set[tuple[str, frozenset[str] | None]] = set()
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        try:
            tree = env.parse(env.loader.get_source(env, name)[0])
        except jinja2.TemplateError:
            continue  # reported with its line when the template is used
        parts = _used_parts(tree, wanted)
        if parts is None or not all(_reads(part, frozenset({"post"}), found) for part in parts):
            return tuple(sorted(POST_ATTRIBUTES))
        for part in parts:
            for node in part.find_all((nodes.Extends, nodes.Include, nodes.Import,
                                       nodes.FromImport)):
                template = getattr(node, "template", None)
                if not isinstance(template, nodes.Const):
                    return tuple(sorted(POST_ATTRIBUTES))  # a template chosen at run time
                macros = frozenset(n if isinstance(n, str) else n[0] for n in node.names) \
                    if isinstance(node, nodes.FromImport) else None
                todo.append((str(template.value), macros))
    lists = {read.removeprefix("site:") for read in found if read.startswith("site:")}
    if page == "post.html":
        lists.discard("related_to")  # its own post's related posts are part of its key
    if lists & SITE_LISTS:
        found |= PLACE_READS
    return tuple(sorted(read for read in found if read.split(".")[0] in POST_ATTRIBUTES))


def read_value(post: Post, read: str) -> object:
    """What a template reads of ``post`` at a path from ``other_posts_reads`` (for a
    method such as ``title.upper``, the object it is called on)."""
    value: object = post
    for name in read.split("."):
        step = getattr(value, name, None)
        if callable(step):
            return value
        value = step
    return value


def _used_parts(tree: nodes.Template, wanted: frozenset[str] | None) -> list[nodes.Node] | None:
    """The whole template, or (for ``wanted`` macros) its top level without its macros
    plus those macros and every macro of the file they call; None when a wanted name is
    not a macro of the file (then everything counts)."""
    if wanted is None:
        return [tree]
    macros = {m.name: m for m in tree.find_all(nodes.Macro)}
    if not wanted <= set(macros):
        return None
    chosen: set[str] = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in chosen:
            continue
        chosen.add(name)
        todo += [call.node.name for call in macros[name].find_all(nodes.Call)
                 if isinstance(call.node, nodes.Name) and call.node.name in macros]
    top = [node for node in tree.body if not isinstance(node, nodes.Macro)]
    return [*top, *(macros[name] for name in sorted(chosen))]
