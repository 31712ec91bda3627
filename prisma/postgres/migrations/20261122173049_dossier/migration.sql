-- CreateEnum
CREATE TYPE "RevenueBand" AS ENUM ('UNDER_1M', 'FROM_1M_TO_10M', 'FROM_10M_TO_50M', 'FROM_50M_TO_250M', 'FROM_250M_TO_1B', 'OVER_1B');

-- CreateEnum
CREATE TYPE "DecisionRole" AS ENUM ('DECISION_MAKER', 'INFLUENCER', 'FINANCIAL', 'TECHNICAL', 'USER', 'GATEKEEPER');

-- CreateEnum
CREATE TYPE "Attitude" AS ENUM ('CHAMPION', 'SUPPORTER', 'NEUTRAL', 'SCEPTIC', 'OPPONENT');

-- CreateEnum
CREATE TYPE "CharacterType" AS ENUM ('DOMINANT', 'PEOPLE_ORIENTED', 'DETAIL_ORIENTED');

-- CreateEnum
CREATE TYPE "ContactChannel" AS ENUM ('EMAIL', 'PHONE', 'MEETING', 'MESSAGING');

-- CreateEnum
CREATE TYPE "LegalBasis" AS ENUM ('LEGITIMATE_INTEREST', 'CONSENT', 'CONTRACT', 'LEGAL_OBLIGATION');

-- CreateEnum
CREATE TYPE "AccountEventKind" AS ENUM ('DELIVERY', 'MEETING', 'CALL', 'EMAIL', 'COMPLAINT', 'TENDER', 'WIN', 'LOSS', 'SURVEY', 'REFERRAL', 'RECOMMENDATION_LETTER');

-- CreateEnum
CREATE TYPE "Satisfaction" AS ENUM ('VERY_SATISFIED', 'SATISFIED', 'NEUTRAL', 'DISSATISFIED', 'VERY_DISSATISFIED');

-- CreateEnum
CREATE TYPE "CompetitorPosition" AS ENUM ('INCUMBENT', 'CHALLENGER', 'NICHE', 'NEWCOMER', 'FORMER');

-- CreateEnum
CREATE TYPE "ThreatLevel" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "description" TEXT,
ADD COLUMN     "employeeCount" INTEGER,
ADD COLUMN     "foundedYear" INTEGER,
ADD COLUMN     "history" TEXT,
ADD COLUMN     "keyProducts" TEXT,
ADD COLUMN     "marketEnvironment" TEXT,
ADD COLUMN     "organisation" TEXT,
ADD COLUMN     "revenueBand" "RevenueBand";

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "department" TEXT,
    "decisionRole" "DecisionRole" NOT NULL,
    "influence" INTEGER NOT NULL,
    "attitude" "Attitude" NOT NULL,
    "characterType" "CharacterType",
    "reportsToId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "preferredChannel" "ContactChannel",
    "lastContactedAt" TIMESTAMP(3),
    "erasedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactPersonalFacts" (
    "contactId" TEXT NOT NULL,
    "birthMonth" INTEGER,
    "birthDay" INTEGER,
    "birthYear" INTEGER,
    "hobbies" TEXT,
    "family" TEXT,
    "values" TEXT,
    "notes" TEXT,
    "source" TEXT NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "legalBasis" "LegalBasis" NOT NULL,
    "subjectInformedAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactPersonalFacts_pkey" PRIMARY KEY ("contactId")
);

-- CreateTable
CREATE TABLE "PersonalDataAccess" (
    "id" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "actorKind" "ActorKind" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonalDataAccess_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountEvent" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "kind" "AccountEventKind" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "title" TEXT NOT NULL,
    "details" TEXT,
    "value" DOUBLE PRECISION,
    "currency" TEXT,
    "contactId" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,
    "reason" TEXT,
    "winner" TEXT,
    "satisfaction" "Satisfaction",
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccountEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Competitor" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "offering" TEXT,
    "position" "CompetitorPosition" NOT NULL,
    "threatLevel" "ThreatLevel" NOT NULL,
    "strengths" TEXT,
    "weaknesses" TEXT,
    "lastSeenAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Competitor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Contact_accountId_idx" ON "Contact"("accountId");

-- CreateIndex
CREATE INDEX "Contact_reportsToId_idx" ON "Contact"("reportsToId");

-- CreateIndex
CREATE INDEX "ContactPersonalFacts_birthMonth_birthDay_idx" ON "ContactPersonalFacts"("birthMonth", "birthDay");

-- CreateIndex
CREATE INDEX "ContactPersonalFacts_confirmedAt_idx" ON "ContactPersonalFacts"("confirmedAt");

-- CreateIndex
CREATE INDEX "PersonalDataAccess_contactId_at_idx" ON "PersonalDataAccess"("contactId", "at");

-- CreateIndex
CREATE INDEX "PersonalDataAccess_at_idx" ON "PersonalDataAccess"("at");

-- CreateIndex
CREATE INDEX "AccountEvent_accountId_occurredAt_idx" ON "AccountEvent"("accountId", "occurredAt");

-- CreateIndex
CREATE INDEX "AccountEvent_accountId_kind_idx" ON "AccountEvent"("accountId", "kind");

-- CreateIndex
CREATE INDEX "AccountEvent_kind_resolvedAt_idx" ON "AccountEvent"("kind", "resolvedAt");

-- CreateIndex
CREATE INDEX "Competitor_accountId_idx" ON "Competitor"("accountId");

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_reportsToId_fkey" FOREIGN KEY ("reportsToId") REFERENCES "Contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactPersonalFacts" ADD CONSTRAINT "ContactPersonalFacts_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonalDataAccess" ADD CONSTRAINT "PersonalDataAccess_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountEvent" ADD CONSTRAINT "AccountEvent_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountEvent" ADD CONSTRAINT "AccountEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Competitor" ADD CONSTRAINT "Competitor_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
