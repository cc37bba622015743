//! What `dtr import atop` writes for a reader that reports read back: the
//! COW country code in the comment that ends each actor's declaration
//! (`actor GMY "Germany" { … } // COW 255`, docs/import.md).

/// The code of `// COW 255` ending the declaration whose name `rest`
/// follows.
pub fn cow_code(rest: &str) -> Option<u32> {
    trailing_comment(rest)?.strip_prefix("// COW ")?.trim_end().parse().ok()
}

/// The line comment that ends a declaration, `text` being the rest of the
/// source after its name: past its label and block (over line breaks
/// inside the block, and what strings and comments hold), up to the end of
/// the line where the declaration ends.
fn trailing_comment(text: &str) -> Option<&str> {
    let (mut depth, mut comments, mut in_string) = (0usize, 0usize, false);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        match c {
            _ if in_string => match c {
                '\\' => drop(chars.next()),
                '"' => in_string = false,
                _ => {}
            },
            // Block comments nest.
            '/' if next == Some('*') => {
                comments += 1;
                chars.next();
            }
            '*' if comments > 0 && next == Some('/') => {
                comments -= 1;
                chars.next();
            }
            _ if comments > 0 => {}
            '/' if next == Some('/') => {
                if depth == 0 {
                    return text[i..].split(['\n', '\r']).next();
                }
                while chars.next_if(|&(_, c)| c != '\n' && c != '\r').is_some() {}
            }
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '\n' | '\r' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::trailing_comment;

    #[test]
    fn the_comment_ending_a_declaration_is_found_past_its_block() {
        assert_eq!(trailing_comment(" \"Germany\" { capability { land: 1 } } // COW 255\nactor X"), Some("// COW 255"));
        let broken = " \"G // x {\" {\n  capability { land: 1 } // inner }\n  /* } /* // */ } */\n} // COW 255\n";
        assert_eq!(trailing_comment(broken), Some("// COW 255"));
        assert_eq!(trailing_comment(" \"Germany\"\n// COW 255"), None);
    }
}
