-- CreateTable
CREATE TABLE "ScoringCriterion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "description" TEXT,
    "rubric" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CriteriaSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT false,
    "keyAccountRule" TEXT NOT NULL DEFAULT 'TOP_N',
    "keyAccountCount" INTEGER,
    "keyAccountThreshold" REAL,
    "minCompleteness" REAL NOT NULL DEFAULT 0.6,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CriterionWeight" (
    "criteriaSetId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "weight" REAL NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("criteriaSetId", "criterionId"),
    CONSTRAINT "CriterionWeight_criteriaSetId_fkey" FOREIGN KEY ("criteriaSetId") REFERENCES "CriteriaSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CriterionWeight_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "ScoringCriterion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Score" (
    "accountId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "evidence" TEXT,
    "evidenceUrl" TEXT,
    "authorKind" TEXT NOT NULL,
    "authorId" TEXT,
    "authorLabel" TEXT NOT NULL,
    "scoredAt" DATETIME NOT NULL,

    PRIMARY KEY ("accountId", "criterionId"),
    CONSTRAINT "Score_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Score_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "ScoringCriterion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScoreChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "value" INTEGER,
    "previous" INTEGER,
    "evidence" TEXT,
    "evidenceUrl" TEXT,
    "authorKind" TEXT NOT NULL,
    "authorId" TEXT,
    "authorLabel" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL,
    CONSTRAINT "ScoreChange_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ScoreChange_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "ScoringCriterion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProspectQualification" (
    "accountId" TEXT NOT NULL PRIMARY KEY,
    "need" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "needNote" TEXT,
    "solvency" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "solvencyNote" TEXT,
    "authority" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "authorityNote" TEXT,
    "updatedByLabel" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProspectQualification_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ScoringCriterion_key_key" ON "ScoringCriterion"("key");

-- CreateIndex
CREATE UNIQUE INDEX "CriteriaSet_name_key" ON "CriteriaSet"("name");

-- CreateIndex
CREATE INDEX "CriteriaSet_isActive_idx" ON "CriteriaSet"("isActive");

-- CreateIndex
CREATE INDEX "CriterionWeight_criterionId_idx" ON "CriterionWeight"("criterionId");

-- CreateIndex
CREATE INDEX "Score_criterionId_value_idx" ON "Score"("criterionId", "value");

-- CreateIndex
CREATE INDEX "ScoreChange_accountId_criterionId_changedAt_idx" ON "ScoreChange"("accountId", "criterionId", "changedAt");

-- CreateIndex
CREATE INDEX "ScoreChange_changedAt_idx" ON "ScoreChange"("changedAt");
