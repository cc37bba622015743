-- DTR's language server for Neovim 0.11+, which reads `lsp/<name>.lua` from
-- the runtimepath: with editors/neovim on it, `vim.lsp.enable('dtr')` is the
-- whole setup (Neovim 0.7-0.10: `require('dtr').setup()` instead).
-- Override fields with `vim.lsp.config('dtr', { cmd = { '/path/to/dtr', 'lsp' } })`.
return {
  cmd = { 'dtr', 'lsp' },
  filetypes = { 'dtr' },
  root_markers = { 'dtr.toml', '.git' },
  on_attach = function(client, bufnr)
    -- Colours for the server's semantic token types (actor, scenario, …),
    -- from lua/dtr beside this file when it is on the runtimepath too.
    local found, dtr = pcall(require, 'dtr')
    if found then
      dtr.link_token_groups()
    end
    -- Neovim does not pull code lenses by itself: refresh them on open,
    -- save and leaving insert mode, as require('dtr').setup() does.
    if client.server_capabilities.codeLensProvider then
      vim.lsp.codelens.refresh({ bufnr = bufnr })
      vim.api.nvim_create_autocmd({ 'BufEnter', 'BufWritePost', 'InsertLeave' }, {
        buffer = bufnr,
        callback = function()
          vim.lsp.codelens.refresh({ bufnr = bufnr })
        end,
      })
    end
  end,
}
