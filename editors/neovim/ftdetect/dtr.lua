-- *.dtr files are DTR scenarios.
vim.cmd([[autocmd BufRead,BufNewFile *.dtr setfiletype dtr]])
