-- CreateEnum
CREATE TYPE "KeyAccountRule" AS ENUM ('TOP_N', 'THRESHOLD');

-- CreateEnum
CREATE TYPE "QualificationAnswer" AS ENUM ('YES', 'NO', 'UNKNOWN');

-- CreateTable
CREATE TABLE "ScoringCriterion" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "description" TEXT,
    "rubric" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScoringCriterion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CriteriaSet" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT false,
    "keyAccountRule" "KeyAccountRule" NOT NULL DEFAULT 'TOP_N',
    "keyAccountCount" INTEGER,
    "keyAccountThreshold" DOUBLE PRECISION,
    "minCompleteness" DOUBLE PRECISION NOT NULL DEFAULT 0.6,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CriteriaSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CriterionWeight" (
    "criteriaSetId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "CriterionWeight_pkey" PRIMARY KEY ("criteriaSetId","criterionId")
);

-- CreateTable
CREATE TABLE "Score" (
    "accountId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "evidence" TEXT,
    "evidenceUrl" TEXT,
    "authorKind" "ActorKind" NOT NULL,
    "authorId" TEXT,
    "authorLabel" TEXT NOT NULL,
    "scoredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Score_pkey" PRIMARY KEY ("accountId","criterionId")
);

-- CreateTable
CREATE TABLE "ScoreChange" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "value" INTEGER,
    "previous" INTEGER,
    "evidence" TEXT,
    "evidenceUrl" TEXT,
    "authorKind" "ActorKind" NOT NULL,
    "authorId" TEXT,
    "authorLabel" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScoreChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProspectQualification" (
    "accountId" TEXT NOT NULL,
    "need" "QualificationAnswer" NOT NULL DEFAULT 'UNKNOWN',
    "needNote" TEXT,
    "solvency" "QualificationAnswer" NOT NULL DEFAULT 'UNKNOWN',
    "solvencyNote" TEXT,
    "authority" "QualificationAnswer" NOT NULL DEFAULT 'UNKNOWN',
    "authorityNote" TEXT,
    "updatedByLabel" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProspectQualification_pkey" PRIMARY KEY ("accountId")
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

-- AddForeignKey
ALTER TABLE "CriterionWeight" ADD CONSTRAINT "CriterionWeight_criteriaSetId_fkey" FOREIGN KEY ("criteriaSetId") REFERENCES "CriteriaSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriterionWeight" ADD CONSTRAINT "CriterionWeight_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "ScoringCriterion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Score" ADD CONSTRAINT "Score_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Score" ADD CONSTRAINT "Score_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "ScoringCriterion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreChange" ADD CONSTRAINT "ScoreChange_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreChange" ADD CONSTRAINT "ScoreChange_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "ScoringCriterion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProspectQualification" ADD CONSTRAINT "ProspectQualification_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
