from pathlib import Path
from unittest import TestCase

from tree_sitter import Language, Parser, Query
import tree_sitter_dtr

EXAMPLES = Path(__file__).resolve().parents[5] / "examples"


class TestLanguage(TestCase):
    def test_can_load_grammar(self):
        try:
            Parser(Language(tree_sitter_dtr.language()))
        except Exception:
            self.fail("Error loading Dtr grammar")

    def test_parses_every_example(self):
        parser = Parser(Language(tree_sitter_dtr.language()))
        files = sorted(EXAMPLES.glob("*.dtr"))
        self.assertGreaterEqual(len(files), 5)
        for path in files:
            tree = parser.parse(path.read_bytes())
            self.assertFalse(tree.root_node.has_error, f"{path.name} parses with errors")

    def test_highlight_query_compiles(self):
        language = Language(tree_sitter_dtr.language())
        Query(language, tree_sitter_dtr.HIGHLIGHTS_QUERY)
