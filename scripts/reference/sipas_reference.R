#!/usr/bin/env Rscript
# Reference values for the weighted and design-based SIPAS conformance cases.
# For each case and item: the design svydesign(ids = ~1, weights = ~w) over the respondents with a
# valid answer to the item; each unit a domain: svyby(~y, ~unit, design, svymean) for the share
# and its Taylor-linearized SE, svyby(~y, ~unit, design, svyciprop, method = "logit" | "beta") for
# the interval; svymean / svyciprop on the whole design for all units ("*").
# Usage: Rscript sipas_reference.R WORKDIR   (reads long.csv and plan.json, writes r_out.json)
suppressMessages({library(survey); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
work <- args[1]
long <- read.csv(file.path(work, "long.csv"), colClasses = c("integer", "character", "character", "numeric", "integer"))
plan <- fromJSON(file.path(work, "plan.json"), simplifyDataFrame = FALSE)
# Numbers travel as "%.17g" strings: jsonlite prints at most 15 significant digits.
num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NULL else sprintf("%.17g", unname(as.numeric(x)))
out <- list()
for (p in plan) {
  cs <- long[long$case == p$case, ]
  res <- list()
  rmethod <- switch(p$method, logit = "logit", korn_graubard = "beta", NULL)
  for (it in unique(cs$item)) {
    d <- cs[cs$item == it, ]
    des <- svydesign(ids = ~1, weights = ~w, data = d)
    m <- svyby(~y, ~unit, des, svymean)
    ci <- NULL
    if (!is.null(rmethod)) {
      ci <- suppressWarnings(svyby(~y, ~unit, des, svyciprop, method = rmethod, level = p$level, vartype = "ci"))
    }
    for (k in seq_len(nrow(m))) {
      u <- as.character(m$unit[k])
      r <- list(share = num(m$y[k]), se = num(m$se[k]))
      if (!is.null(ci)) {
        j <- which(as.character(ci$unit) == u)
        r$ci_low <- num(ci$ci_l[j]); r$ci_high <- num(ci$ci_u[j])
      }
      res[[paste0(it, "|", u)]] <- r
    }
    a <- svymean(~y, des)
    r <- list(share = num(coef(a)), se = num(SE(a)))
    if (!is.null(rmethod)) {
      cp <- suppressWarnings(svyciprop(~y, des, method = rmethod, level = p$level))
      r$ci_low <- num(attr(cp, "ci")[1]); r$ci_high <- num(attr(cp, "ci")[2])
    }
    res[[paste0(it, "|*")]] <- r
  }
  out[[as.character(p$case)]] <- res
}
writeLines(toJSON(out, auto_unbox = TRUE, null = "null"), file.path(work, "r_out.json"))
