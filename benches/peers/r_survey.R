#!/usr/bin/env Rscript
# Peer: R's survey package, as an analyst would call it. For each of the 33 items: the design
# svydesign(ids = ~1, weights = ~w) over the respondents with a valid answer to the item, the
# satisfied indicator (answer 4 or 5), and svyby(~y, ~unit, design, svymean): the weighted share
# and its Taylor-linearized SE for every unit. Timed after read.csv (timed apart).
# Usage: Rscript benches/peers/r_survey.R FILE
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
emit <- function(task, rows, seconds) {
  cat(sprintf('RESULT {"peer": "R survey %s", "task": "%s", "rows": %d, "seconds": %.6f, "repeats": 1}\n',
              as.character(packageVersion("survey")), task, rows, seconds))
}
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1], colClasses = c("character", "numeric", rep("integer", 33)))
emit("read.csv", nrow(d), proc.time()[["elapsed"]] - t0)
items <- paste0("q", 1:33)
t0 <- proc.time()[["elapsed"]]
out <- vector("list", length(items))
for (i in seq_along(items)) {
  a <- d[[items[i]]]
  ok <- !is.na(a)
  di <- data.frame(unit = d$unit[ok], w = d$w[ok], y = as.numeric(a[ok] >= 4))
  des <- svydesign(ids = ~1, weights = ~w, data = di)
  out[[i]] <- svyby(~y, ~unit, des, svymean)
}
emit("svyby svymean share + SE by unit, 33 items", nrow(d), proc.time()[["elapsed"]] - t0)
if ("--show" %in% args) print(head(out[[1]]))
