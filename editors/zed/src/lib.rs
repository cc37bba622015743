//! Starts `dtr lsp` for DTR files: the `dtr` found on the worktree's PATH,
//! or the path set in Zed's settings (`lsp.dtr.binary.path`).

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Dtr;

impl zed::Extension for Dtr {
    fn new() -> Self {
        Dtr
    }

    fn language_server_command(&mut self, id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree).ok().and_then(|settings| settings.binary);
        let command = binary
            .as_ref()
            .and_then(|binary| binary.path.clone())
            .or_else(|| worktree.which("dtr"))
            .ok_or_else(|| "dtr is not on PATH: install it (cargo install --path . in the DTR repository) or set lsp.dtr.binary.path".to_string())?;
        let args = binary.and_then(|binary| binary.arguments).unwrap_or_else(|| vec!["lsp".into()]);
        Ok(zed::Command { command, args, env: worktree.shell_env() })
    }
}

zed::register_extension!(Dtr);
