-- CreateTable
CREATE TABLE "WinBackAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT,
    "plannedFor" DATETIME NOT NULL,
    "assigneeId" TEXT,
    "outcome" TEXT NOT NULL DEFAULT 'PLANNED',
    "outcomeNote" TEXT,
    "completedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "WinBackAction_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SavedSegment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "filter" JSONB NOT NULL,
    "createdById" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "sortName" TEXT NOT NULL,
    "externalId" TEXT,
    "industry" TEXT,
    "region" TEXT,
    "country" TEXT,
    "website" TEXT,
    "description" TEXT,
    "employeeCount" INTEGER,
    "foundedYear" INTEGER,
    "history" TEXT,
    "organisation" TEXT,
    "marketEnvironment" TEXT,
    "revenueBand" TEXT,
    "keyProducts" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PROSPECT',
    "isKeyAccount" BOOLEAN NOT NULL DEFAULT false,
    "ownerId" TEXT,
    "isImageMaker" BOOLEAN NOT NULL DEFAULT false,
    "isExpert" BOOLEAN NOT NULL DEFAULT false,
    "hasBudget" BOOLEAN,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archivedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Account_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Account" ("archivedAt", "country", "createdAt", "description", "employeeCount", "externalId", "foundedYear", "history", "id", "industry", "isKeyAccount", "keyProducts", "marketEnvironment", "name", "organisation", "ownerId", "region", "revenueBand", "sortName", "status", "updatedAt", "version", "website") SELECT "archivedAt", "country", "createdAt", "description", "employeeCount", "externalId", "foundedYear", "history", "id", "industry", "isKeyAccount", "keyProducts", "marketEnvironment", "name", "organisation", "ownerId", "region", "revenueBand", "sortName", "status", "updatedAt", "version", "website" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
CREATE UNIQUE INDEX "Account_externalId_key" ON "Account"("externalId");
CREATE INDEX "Account_sortName_idx" ON "Account"("sortName");
CREATE INDEX "Account_status_idx" ON "Account"("status");
CREATE INDEX "Account_ownerId_idx" ON "Account"("ownerId");
CREATE INDEX "Account_isKeyAccount_idx" ON "Account"("isKeyAccount");
CREATE INDEX "Account_createdAt_idx" ON "Account"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "WinBackAction_accountId_idx" ON "WinBackAction"("accountId");

-- CreateIndex
CREATE INDEX "WinBackAction_outcome_plannedFor_idx" ON "WinBackAction"("outcome", "plannedFor");

-- CreateIndex
CREATE UNIQUE INDEX "SavedSegment_name_key" ON "SavedSegment"("name");
